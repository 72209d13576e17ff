// One instance: its actions (gated by listApis), details, the VNC console, serial console output, volumes, NICs and
// events.
import { call, items } from "./api.js";
import { bytes, details, h } from "./dom.js";
import { runAction, subList } from "./generic.js";
import { selectField, text } from "./options.js";
import { vncSection } from "./vncview.js";

const CUSTOM = [
  text("details[0].cpuNumber", "CPUs (custom offerings)", { type: "number", min: 1 }),
  text("details[0].cpuSpeed", "CPU speed MHz (custom offerings)", { type: "number", min: 100 }),
  text("details[0].memory", "Memory MiB (custom offerings)", { type: "number", min: 64 }),
];

/** The VM actions: `when` says in which states; those with `fields` ask first (the instance view offers them). */
export const VM_ACTIONS = [
  { id: "start", command: "startVirtualMachine", label: "Start", when: (vm) => vm.state === "Stopped" },
  { id: "stop", command: "stopVirtualMachine", label: "Stop", when: (vm) => vm.state === "Running" },
  { id: "reboot", command: "rebootVirtualMachine", label: "Reboot", when: (vm) => vm.state === "Running" },
  { id: "destroy", command: "destroyVirtualMachine", label: "Destroy", when: (vm) => ["Running", "Stopped", "Error"].includes(vm.state), confirm: true },
  { id: "recover", command: "recoverVirtualMachine", label: "Recover", when: (vm) => vm.state === "Destroyed" },
  { id: "expunge", command: "expungeVirtualMachine", label: "Expunge", when: (vm) => vm.state === "Destroyed", confirm: true },
  {
    id: "migrate",
    command: "migrateVirtualMachine",
    label: "Migrate",
    when: (vm) => vm.state === "Running",
    params: (vm) => ({ virtualmachineid: vm.id }),
    fields: async (vm) => [await selectField("hostid", "Destination host", "findHostsForMigration", { id: vm.id })],
  },
  {
    id: "scale",
    command: "scaleVirtualMachine",
    label: "Scale",
    when: (vm) => ["Running", "Stopped"].includes(vm.state),
    fields: async () => [await selectField("serviceofferingid", "Service offering", "listServiceOfferings"), ...CUSTOM],
  },
];

/** The text of a console-output answer: its `output` (wherever it sits), else the whole answer. */
function consoleText(answer) {
  const queue = [answer];
  while (queue.length > 0) {
    const value = queue.shift();
    if (value && typeof value === "object") {
      for (const [name, inner] of Object.entries(value)) {
        if (typeof inner === "string" && /output/i.test(name)) return inner;
        if (inner && typeof inner === "object") queue.push(inner);
      }
    }
  }
  return JSON.stringify(answer, null, 2);
}

/** Renders the instance `id` into `target`. */
export async function instance(target, { apis }, id) {
  target.replaceChildren(h("p", { role: "status" }, "Loading…"));
  let vm;
  try {
    vm = items(await call("listVirtualMachines", { id, listall: true })).items[0];
  } catch (error) {
    target.replaceChildren(h("p", { className: "error", role: "alert" }, error.message));
    return;
  }
  if (!vm) {
    target.replaceChildren(h("p", { className: "error", role: "alert" }, "This instance no longer exists."), h("a", { href: "#/instances" }, "All instances"));
    return;
  }
  const reload = () => instance(target, { apis }, id);
  const actions = VM_ACTIONS.filter((action) => apis.has(action.command) && action.when(vm));
  const panel = h("div", { className: "subs" });
  target.replaceChildren(
    h("p", {}, h("a", { href: "#/instances" }, "← Instances")),
    h("h1", { id: "vm-name" }, vm.displayname || vm.name, " ", h("span", { className: `badge state-${vm.state}`, id: "vm-state-badge" }, vm.state)),
    h("p", { id: "screen-error", className: "error", role: "alert" }),
    h("div", { className: "actions", id: "vm-actions" }, actions.map((action) => h("button", { type: "button", "data-action": action.id, onclick: () => runAction(action, vm, reload) }, action.label)), h("button", { type: "button", id: "vm-reload", onclick: reload }, "Refresh")),
    details(
      [
        ["Name", vm.name],
        ["ID", vm.id],
        ["Zone", vm.zonename],
        ["Host", vm.hostname],
        ["Template", vm.templatename],
        ["Offering", vm.serviceofferingname],
        ["CPUs", `${vm.cpunumber ?? "?"} × ${vm.cpuspeed ?? "?"} MHz`],
        ["Memory", bytes(Number(vm.memory ?? 0) * 1024 * 1024)],
        ["Key pair", vm.keypairs ?? vm.keypair],
        ["Account", vm.account],
        ["Created", vm.created],
        ["CPU used", vm.cpuused],
      ].filter(([, value]) => value !== undefined && value !== null),
      "vm-details",
    ),
    panel,
  );
  const consoleSection = h("section", { className: "sub", id: "vm-console-section" }, h("h3", {}, "Serial console"));
  vncSection(panel, vm, apis);
  panel.append(consoleSection);
  showConsole(consoleSection, vm, apis);
  await subList(panel, "Volumes", "vm-volumes", "listVolumes", { virtualmachineid: vm.id, listall: true }, [["name", "Name"], ["type", "Type"], ["size", "Size", bytes], ["state", "State"]]);
  await subList(panel, "NICs", "vm-nics", "listNics", { virtualmachineid: vm.id }, [["ipaddress", "Address"], ["macaddress", "MAC"], ["networkname", "Network"], ["isdefault", "Default", (d) => (d ? "yes" : "")]]);
  if (apis.has("listEvents")) {
    await subList(panel, "Events", "vm-events", "listEvents", { resourceid: vm.id, listall: true }, [["created", "Time"], ["type", "Type"], ["level", "Level"], ["description", "Description"]]);
  }
}

/** The serial console's last lines (getVirtualMachineConsoleOutput), or the API's error text. */
async function showConsole(section, vm, apis) {
  const output = h("pre", { id: "vm-console", tabindex: 0, "aria-label": "Serial console output" });
  const lines = h("input", { id: "vm-console-lines", type: "number", min: 1, max: 10000, value: "100", "aria-label": "Lines" });
  const refresh = h("button", { type: "button", id: "vm-console-refresh" }, "Refresh");
  const note = h("p", { id: "vm-console-error", className: "error", role: "alert" });
  section.append(h("div", { className: "toolbar" }, h("label", { for: "vm-console-lines" }, "Lines"), lines, refresh), note, output);
  if (!apis.has("getVirtualMachineConsoleOutput")) {
    note.textContent = "This server offers no console output (getVirtualMachineConsoleOutput).";
    refresh.disabled = true;
    return;
  }
  const load = async () => {
    note.textContent = "";
    output.textContent = "Loading…";
    try {
      output.textContent = consoleText(await call("getVirtualMachineConsoleOutput", { id: vm.id, lines: lines.value }));
    } catch (error) {
      output.textContent = "";
      note.textContent = error.message;
    }
  };
  refresh.addEventListener("click", load);
  await load();
}
