/** An error whose message is safe and useful to show the user as is (no paths, no secrets). */
export class ApiError extends Error {
  override name = 'ApiError';
}
