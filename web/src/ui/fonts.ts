/**
 * The app's font stack: Mantine's theme takes it (main.tsx), and text measured on a canvas uses it as it is,
 * without reading the page's computed style (which makes the browser compute every style first).
 */
export const fontFamily =
  'Inter, -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif, "Apple Color Emoji"';
