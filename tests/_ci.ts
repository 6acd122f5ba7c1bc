// Whether the tests run under CI, where a missing tool must fail a test
// instead of skipping it. CI services set CI to "true", "1", "yes" or a
// service name; any non-empty value counts, so no spelling lets a broken
// image pass silently.

/**
 * Whether `value` (by default the `CI` environment variable) says the tests
 * run under CI: any non-empty value.
 */
export function underCI(
  value: string | undefined = Deno.env.get("CI"),
): boolean {
  return value !== undefined && value !== "";
}
