// Small DOM helpers: elements are built with textContent only (no HTML strings from API data).

/** Creates an element: h("td", {className: "state"}, "Running", child...). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "className" || name === "textContent" || name === "value" || name === "disabled") element[name] = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Shows a job's progress in the jobs panel; returns {progress(n), done(text), fail(text)}. */
export function jobToast(label) {
  const line = h("div", { className: "job", role: "status" }, `${label}: started`);
  document.getElementById("jobs").append(line);
  const finish = (className, text) => {
    line.classList.add(className);
    line.textContent = `${label}: ${text}`;
    setTimeout(() => line.remove(), 8000);
  };
  return {
    progress: (poll) => (line.textContent = `${label}: in progress${".".repeat(1 + (poll % 3))}`),
    done: (text) => finish("ok", text),
    fail: (text) => finish("error", text),
  };
}
