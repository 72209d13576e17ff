// The console's shell: login, the listApis-gated navigation, and hash routing between screens.
import { ApiError, call, items, login, logout, session } from "./api.js";
import { h } from "./dom.js";
import { dashboard } from "./dashboard.js";
import { instances } from "./instances.js";
import { hosts } from "./hosts.js";

// Each screen names the commands it needs: a screen is offered only if listApis has them all.
const SCREENS = [
  { id: "dashboard", title: "Dashboard", needs: ["listVirtualMachines"], render: dashboard },
  { id: "instances", title: "Instances", needs: ["listVirtualMachines"], render: instances },
  { id: "hosts", title: "Hosts", needs: ["listHosts", "listZones"], render: hosts },
];

const state = { apis: new Set() };

function $(id) {
  return document.getElementById(id);
}

function showLogin(message = "") {
  $("nav").hidden = true;
  $("logout").hidden = true;
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
  $("who").textContent = `${current.username} (${current.account})`;
  const allowed = SCREENS.filter((screen) => screen.needs.every((name) => state.apis.has(name)));
  $("nav").replaceChildren(
    ...allowed.map((screen) => h("a", { href: `#/${screen.id}`, "data-screen": screen.id }, screen.title)),
  );
  $("nav").hidden = false;
  route();
}

function route() {
  if (!session()) return showLogin();
  const wanted = location.hash.replace(/^#\//, "");
  const links = [...$("nav").querySelectorAll("a")];
  if (links.length === 0) {
    $("screen").replaceChildren(h("p", {}, "Your account may not call any of the console's screens."));
    return;
  }
  const link = links.find((a) => a.dataset.screen === wanted) ?? links[0];
  for (const a of links) a.classList.toggle("active", a === link);
  const screen = SCREENS.find((s) => s.id === link.dataset.screen);
  const target = h("div", { id: `screen-${screen.id}` });
  $("screen").replaceChildren(target);
  screen.render(target, { apis: state.apis, onAuthLost: () => showLogin("Your session ended; log in again.") });
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

window.addEventListener("hashchange", route);
start();
