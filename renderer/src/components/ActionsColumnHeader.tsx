/**
 * The header over a table's column of row buttons. Blank to the eye, because the buttons say what they
 * do, yet named "Actions" so that a screen reader announces which column a button sits in.
 */
export function ActionsColumnHeader() {
  return (
    <th>
      <span className="sr-only">Actions</span>
    </th>
  );
}
