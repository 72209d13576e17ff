// Choices for form fields, each fetched as one bounded page from the API (never a whole table).
import { call, items } from "./api.js";

/** [[value, label]] from the first 200 rows of `command`. */
export async function options(command, params = {}, value = "id", label = "name", blank = false) {
  const { items: rows } = items(await call(command, { ...params, page: 1, pagesize: 200 }));
  const choices = rows.map((row) => [row[value], row[label] ?? row[value]]);
  return blank ? [["", "(none)"], ...choices] : choices;
}

/** A select field over `command`'s rows. */
export async function selectField(name, label, command, params = {}, extra = {}) {
  return { name, label, type: "select", options: await options(command, params, extra.value, extra.text, extra.blank), ...extra };
}

/** A select field over fixed choices (each a string or [value, label]). */
export function choice(name, label, list, extra = {}) {
  return { name, label, type: "select", options: list.map((entry) => (Array.isArray(entry) ? entry : [entry, entry])), ...extra };
}

/** A text field. */
export function text(name, label, extra = {}) {
  return { name, label, ...extra };
}

/** Percent of `used` in `total` as text. */
export function percent(used, total) {
  const t = Number(total ?? 0);
  return t > 0 ? `${((100 * Number(used ?? 0)) / t).toFixed(1)}%` : "–";
}
