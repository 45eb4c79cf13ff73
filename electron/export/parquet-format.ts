/**
 * The Parquet export, streamed: one row group per ~32k candles, each handed to the sink as soon as it
 * is encoded (hyparquet-writer calls the writer's flush() after every row group), so memory stays at
 * one row group whatever the range. Columns: ts TIMESTAMP(MILLIS, UTC), open/high/low/close DOUBLE,
 * volume DOUBLE (null where the source publishes none); pandas reads ts as datetime64[ms, UTC].
 */
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { Candle, SeriesKey } from '../../shared/domain.js';
import type { CandleSink } from './candle-sink.js';

const ROWS_PER_GROUP = 32_768;

/** A ByteWriter that hands its bytes to the sink at every row group and at the end. */
class SinkWriter extends ByteWriter {
  constructor(private readonly sink: CandleSink) {
    super(1 << 20);
  }

  flush(): Promise<void> {
    const chunk = Buffer.from(this.buffer.slice(0, this.index));
    this.index = 0;
    return this.sink.write(chunk);
  }

  // The writer returns what finish() returns (its type says void), so the last chunk is awaited.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  override finish(): Promise<void> {
    return this.flush();
  }
}

const price = (name: string) => ({ name, type: 'DOUBLE' as const, repetition_type: 'REQUIRED' as const });

export async function writeParquet(pages: AsyncIterable<Candle[]>, sink: CandleSink, key?: SeriesKey): Promise<number> {
  const writer = new ParquetWriter({
    writer: new SinkWriter(sink),
    schema: [
      { name: 'root', num_children: 6 },
      {
        name: 'ts',
        type: 'INT64',
        repetition_type: 'REQUIRED',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
      },
      price('open'),
      price('high'),
      price('low'),
      price('close'),
      { name: 'volume', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
    ],
    kvMetadata: key ? [{ key: 'candlekeep.series', value: JSON.stringify(key) }] : undefined,
    createdBy: 'candlekeep',
  });
  let group: Candle[] = [];
  let count = 0;
  const writeGroup = async (): Promise<void> => {
    if (!group.length) return;
    const n = group.length;
    const column = (pick: (c: Candle) => number): Float64Array => Float64Array.from(group, pick);
    await writer.write({
      rowGroupSize: n,
      columnData: [
        { name: 'ts', data: column((c) => c.ts) },
        { name: 'open', data: column((c) => c.open) },
        { name: 'high', data: column((c) => c.high) },
        { name: 'low', data: column((c) => c.low) },
        { name: 'close', data: column((c) => c.close) },
        { name: 'volume', data: group.map((c) => c.volume) },
      ],
    });
    count += n;
    group = [];
  };
  for await (const page of pages) {
    group.push(...page);
    if (group.length >= ROWS_PER_GROUP) await writeGroup();
  }
  await writeGroup();
  await writer.finish();
  return count;
}
