// The console's shell: login, the listApis-gated navigation (by group), and hash routing between screens
// (#/instances, #/instances/<id>, #/deploy, #/<screen>).
import { ApiError, call, items, login, logout, session } from "./api.js";
import { h } from "./dom.js";
import { coordination } from "./coordination.js";
import { dashboard } from "./dashboard.js";
import { listScreen } from "./generic.js";
import { instance } from "./instance.js";
import { instances } from "./instances.js";
import { GROUPS } from "./screens.js";
import { wizard } from "./wizard.js";

// Each screen names the commands it needs: a screen is offered only if listApis has them all.
const CUSTOM = [
  ["Overview", [{ id: "dashboard", title: "Dashboard", needs: ["listVirtualMachines"], render: dashboard }]],
  ["Compute", [{ id: "instances", title: "Instances", needs: ["listVirtualMachines"], render: instances }]],
  ["Infrastructure", [{ id: "coordination", title: "Coordination", needs: ["listManagementServers", "listHosts"], render: coordination }]],
];

/** Every screen by group, the generic ones rendered by listScreen. */
function allGroups() {
  const groups = new Map(CUSTOM.map(([name, screens]) => [name, [...screens]]));
  for (const [name, screens] of GROUPS) {
    const list = groups.get(name) ?? [];
    const generic = screens.map((def) => ({ ...def, needs: def.needs ?? [def.command], render: (target, context) => listScreen(def, target, context) }));
    // Custom screens of a group come first, except Coordination, which closes Infrastructure.
    groups.set(name, name === "Infrastructure" ? [...generic, ...list] : [...list, ...generic]);
  }
  return [...groups.entries()];
}

const ROUTES = { deploy: { needs: ["deployVirtualMachine"], parent: "instances", render: wizard } };
const state = { apis: new Set(), screens: [] };

function $(id) {
  return document.getElementById(id);
}

function showLogin(message = "") {
  $("nav").hidden = true;
  $("logout").hidden = true;
  $("menu").hidden = true;
  $("who").textContent = "";
  $("screen").replaceChildren();
  $("login-screen").hidden = false;
  $("login-error").textContent = message;
  $("username").focus();
}

async function start() {
  const current = session();
  if (!current) return showLogin();
  try {
    const { items: apis } = items(await call("listApis"));
    state.apis = new Set(apis.map((api) => api.name));
  } catch (error) {
    return showLogin(error instanceof ApiError && error.status !== 401 ? error.message : "");
  }
  $("login-screen").hidden = true;
  $("logout").hidden = false;
  $("menu").hidden = false;
  $("who").textContent = `${current.username} (${current.account})`;
  const allowed = (screen) => screen.needs.every((name) => state.apis.has(name));
  state.screens = [];
  const groups = [];
  for (const [name, screens] of allGroups()) {
    const visible = screens.filter(allowed);
    if (visible.length === 0) continue;
    state.screens.push(...visible);
    groups.push(h("div", { className: "group", "data-group": name }, h("h2", {}, name), visible.map((screen) => h("a", { href: `#/${screen.id}`, "data-screen": screen.id }, screen.title))));
  }
  $("nav").replaceChildren(...groups);
  $("nav").hidden = false;
  route();
}

function route() {
  if (!session()) return showLogin();
  const [wanted, argument] = location.hash.replace(/^#\//, "").split("/");
  const links = [...$("nav").querySelectorAll("a")];
  if (links.length === 0) {
    $("screen").replaceChildren(h("p", {}, "Your account may not call any of the console's screens."));
    return;
  }
  const extra = ROUTES[wanted];
  const screenId = extra && extra.needs.every((name) => state.apis.has(name)) ? extra.parent : wanted;
  const link = links.find((a) => a.dataset.screen === screenId) ?? links[0];
  for (const a of links) {
    a.classList.toggle("active", a === link);
    if (a === link) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const screen = state.screens.find((s) => s.id === link.dataset.screen);
  const target = h("div", { id: `screen-${extra && screenId === screen.id ? wanted : screen.id}` });
  $("screen").replaceChildren(target);
  window.scrollTo(0, 0);
  const context = { apis: state.apis, onAuthLost: () => showLogin("Your session ended; log in again.") };
  if (extra && screenId === screen.id) extra.render(target, context);
  else if (screen.id === "instances" && argument) instance(target, context, decodeURIComponent(argument));
  else screen.render(target, context);
  document.title = `${screen.title} · ZooStack`;
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("login-error").textContent = "";
  $("login-button").disabled = true;
  try {
    await login($("username").value, $("password").value, $("domain").value);
    $("password").value = "";
    await start();
  } catch (error) {
    $("login-error").textContent = error.message;
  } finally {
    $("login-button").disabled = false;
  }
});

$("logout").addEventListener("click", async () => {
  await logout();
  location.hash = "";
  showLogin();
});

$("menu").addEventListener("click", () => {
  const open = $("nav").classList.toggle("open");
  $("menu").setAttribute("aria-expanded", String(open));
});

window.addEventListener("hashchange", () => {
  $("nav").classList.remove("open");
  $("menu").setAttribute("aria-expanded", "false");
  route();
});
start();
