// Inline SVG charts (no library): horizontal bars for shares of a total, and usage gauges for capacity.
const NS = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return element;
}

const COLORS = {
  Running: "#2e7d32", Up: "#2e7d32", Enabled: "#2e7d32",
  Stopped: "#757575", Starting: "#1565c0", Stopping: "#1565c0", Migrating: "#6a1b9a", Connecting: "#1565c0",
  Error: "#c62828", Down: "#c62828", Alert: "#ef6c00", Disconnected: "#ef6c00", Destroyed: "#4e342e", Expunging: "#4e342e",
};

/** A bar per [label, count] scaled to the largest; `title` labels the chart for screen readers. */
export function barChart(title, pairs) {
  const rowHeight = 22;
  const width = 320;
  const max = Math.max(1, ...pairs.map(([, count]) => count));
  const chart = svg("svg", { viewBox: `0 0 ${width} ${Math.max(1, pairs.length) * rowHeight}`, role: "img", "aria-label": title, class: "chart" }, svg("title", {}, title));
  pairs.forEach(([label, count], index) => {
    const y = index * rowHeight;
    const length = Math.max(2, ((width - 150) * count) / max);
    chart.append(
      svg("text", { x: 0, y: y + 15, class: "label" }, label),
      svg("rect", { x: 100, y: y + 4, width: length, height: rowHeight - 8, rx: 3, fill: COLORS[label] ?? "#455a64" }),
      svg("text", { x: 106 + length, y: y + 15, class: "value" }, count),
    );
  });
  return chart;
}

/** A usage gauge: `used` of `total` as a filled bar, coloured by how full it is. */
export function gauge(title, used, total, format = String) {
  const share = total > 0 ? Math.min(1, used / total) : 0;
  const colour = share > 0.9 ? "#c62828" : share > 0.75 ? "#ef6c00" : "#2e7d32";
  const width = 300;
  return svg(
    "svg",
    { viewBox: `0 0 ${width} 38`, role: "img", "aria-label": `${title}: ${(share * 100).toFixed(1)}% used`, class: "chart gauge" },
    svg("title", {}, `${title}: ${format(used)} of ${format(total)}`),
    svg("text", { x: 0, y: 12, class: "label" }, title),
    svg("text", { x: width, y: 12, class: "value", "text-anchor": "end" }, `${format(used)} / ${format(total)} (${(share * 100).toFixed(0)}%)`),
    svg("rect", { x: 0, y: 18, width, height: 14, rx: 4, fill: "#e0e4ea" }),
    svg("rect", { x: 0, y: 18, width: Math.max(share > 0 ? 3 : 0, width * share), height: 14, rx: 4, fill: colour }),
  );
}
