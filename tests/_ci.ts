// Whether the tests run under CI, where a missing tool must fail a test
// instead of skipping it. CI services set CI to "true", "1", "yes" or a
// service name; any such value counts, so no spelling lets a broken image
// pass silently. Only an empty value, "0" and "false" say "not CI".

/**
 * Whether `value` (the `CI` environment variable) says the tests run under
 * CI: any value but unset, empty, "0" and "false" (in any case).
 */
export function underCI(value: string | undefined): boolean {
  return value !== undefined && !["", "0", "false"].includes(
    value.trim().toLowerCase(),
  );
}
