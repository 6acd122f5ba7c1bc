// Escaping for the three places untrusted text (labels, titles) ends up:
// XML/HTML text and attributes, plotly.js's HTML-like text, and JSON inside
// a <script> element.

const XML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for XML and HTML, in element content and in quoted attribute
 * values alike. `&#39;` rather than `&apos;` because HTML 4 lacks the latter.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] as string);
}

/**
 * Escapes text for plotly.js, which renders a subset of HTML in titles, tick
 * labels, annotations and hover text (`<b>`, `<br>`, `<a href>`, ...) and
 * decodes entities: entity-escaping `&`, `<` and `>` makes it display the
 * text literally.
 */
export function escapePlotly(text: string): string {
  return text.replace(/[&<>]/g, (c) => XML_ENTITIES[c] as string);
}

const SCRIPT_UNSAFE: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/**
 * JSON that is safe inside a `<script>` element: with `<`, `>` and `&`
 * written as `\u` escapes it can neither close the element (`</script>`)
 * nor open a comment (`<!--`) that would swallow the closing tag, and
 * U+2028/U+2029 are escaped for parsers that read it as JavaScript.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => SCRIPT_UNSAFE[c] as string,
  );
}
