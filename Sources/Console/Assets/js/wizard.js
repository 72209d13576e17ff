// The deploy wizard: zone -> template or ISO -> service offering (CPU, speed and memory when it is custom) ->
// networks -> key pair and user data -> review; the deploy job's progress ends in the new instance or the API's
// errortext. Each step's choices are one bounded page from the API.
import { call, items, runJob } from "./api.js";
import { field, h, values } from "./dom.js";
import { options } from "./options.js";

const STEPS = ["Zone", "Image", "Offering", "Networks", "Access", "Review"];

/** UTF-8 text as base64 (the API's userdata). */
function base64(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export async function wizard(target, { apis }) {
  const choice = {};
  let step = 0;
  const stepList = h("ol", { className: "steps", "aria-label": "Steps" }, STEPS.map((name, index) => h("li", { "data-step": index }, name)));
  const body = h("div", { id: "wizard-step" });
  const error = h("p", { id: "wizard-error", className: "error", role: "alert" });
  const back = h("button", { type: "button", id: "wizard-back", onclick: () => show(step - 1) }, "Back");
  const next = h("button", { type: "submit", id: "wizard-next", className: "primary" }, "Next");
  const result = h("div", { id: "wizard-result", role: "status" });
  const form = h("form", { id: "wizard", onsubmit: (event) => { event.preventDefault(); advance(); } }, body, error, h("div", { className: "actions" }, back, next));
  target.append(h("p", {}, h("a", { href: "#/instances" }, "← Instances")), h("h1", {}, "Deploy an instance"), stepList, form, result);

  async function stepFields(index) {
    switch (index) {
      case 0:
        return [{ name: "zoneid", label: "Zone", type: "select", required: true, options: await options("listZones"), value: choice.zoneid }];
      case 1: {
        const kind = choice.kind ?? "template";
        const list = kind === "iso" ? await options("listIsos", { isofilter: "executable", zoneid: choice.zoneid, isready: true }) : await options("listTemplates", { templatefilter: "executable", zoneid: choice.zoneid });
        const specs = [
          { name: "kind", label: "Boot from", type: "select", options: [["template", "Template"], ["iso", "ISO"]], value: kind },
          { name: "templateid", label: kind === "iso" ? "ISO" : "Template", type: "select", required: true, options: list, value: choice.templateid },
        ];
        if (kind === "iso") {
          // An ISO boots onto a blank root disk: CloudStack takes its size from a disk offering.
          const { items: disks } = items(await call("listDiskOfferings", { page: 1, pagesize: 200 }));
          choice.diskOfferings = disks;
          const disk = disks.find((o) => o.id === choice.diskofferingid) ?? disks[0];
          specs.push({ name: "diskofferingid", label: "Root disk offering", type: "select", required: true, options: disks.map((o) => [o.id, `${o.name}${o.iscustomized ? " (custom)" : ` — ${o.disksize} GiB`}`]), value: disk?.id });
          if (disk?.iscustomized) specs.push({ name: "size", label: "Root disk size (GiB)", type: "number", required: true, min: 1, value: choice.size ?? 5 });
        }
        return specs;
      }
      case 2: {
        const { items: offerings } = items(await call("listServiceOfferings", { page: 1, pagesize: 200 }));
        choice.offerings = offerings;
        const selected = offerings.find((o) => o.id === choice.serviceofferingid) ?? offerings[0];
        const specs = [{ name: "serviceofferingid", label: "Service offering", type: "select", required: true, options: offerings.map((o) => [o.id, `${o.name}${o.iscustomized ? " (custom)" : ` — ${o.cpunumber} CPU, ${o.memory} MiB`}`]), value: selected?.id }];
        if (selected?.iscustomized) {
          specs.push(
            { name: "cpuNumber", label: "CPUs", type: "number", required: true, min: selected.mincpunumber ?? 1, max: selected.maxcpunumber, value: choice.cpuNumber ?? selected.mincpunumber ?? 1 },
            { name: "cpuSpeed", label: "CPU speed (MHz)", type: "number", required: true, min: 100, value: choice.cpuSpeed ?? selected.cpuspeed ?? 1000 },
            { name: "memory", label: "Memory (MiB)", type: "number", required: true, min: selected.minmemory ?? 64, max: selected.maxmemory, value: choice.memory ?? selected.minmemory ?? 512 },
          );
        }
        return specs;
      }
      case 3: {
        const { items: networks } = items(await call("listNetworks", { zoneid: choice.zoneid, page: 1, pagesize: 100 }));
        if (networks.length === 0) return [];
        const chosen = new Set((choice.networkids ?? "").split(",").filter(Boolean));
        return networks.map((network, index) => ({ name: `net-${network.id}`, label: `${network.name} (${network.cidr ?? network.type ?? ""})`, type: "checkbox", value: chosen.size ? chosen.has(network.id) : index === 0 }));
      }
      case 4: {
        const keys = apis.has("listSSHKeyPairs") ? await options("listSSHKeyPairs", {}, "name", "name", true) : [["", "(none)"]];
        return [
          { name: "name", label: "Name", value: choice.name, placeholder: "web-1" },
          { name: "keypair", label: "SSH key pair", type: "select", options: keys, value: choice.keypair ?? "" },
          { name: "userdata", label: "User data (cloud-init)", type: "textarea", value: choice.userdata },
        ];
      }
      default:
        return [];
    }
  }

  function review() {
    const offering = choice.offerings?.find((o) => o.id === choice.serviceofferingid);
    return h(
      "dl",
      { className: "details", id: "wizard-review" },
      [
        ["Name", choice.name || "(generated)"],
        ["Zone", choice.zonename],
        [choice.kind === "iso" ? "ISO" : "Template", choice.templatename],
        ...(choice.kind === "iso" ? [["Root disk", choice.size ? `${choice.diskname}, ${choice.size} GiB` : choice.diskname]] : []),
        ["Offering", offering?.name],
        ["Size", offering?.iscustomized ? `${choice.cpuNumber} CPU × ${choice.cpuSpeed} MHz, ${choice.memory} MiB` : `${offering?.cpunumber} CPU, ${offering?.memory} MiB`],
        ["Networks", choice.networknames || "(default)"],
        ["Key pair", choice.keypair || "(none)"],
        ["User data", choice.userdata ? `${choice.userdata.length} characters` : "(none)"],
      ].flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value ?? "")]),
    );
  }

  async function show(index) {
    step = Math.max(0, Math.min(STEPS.length - 1, index));
    for (const item of stepList.children) item.classList.toggle("current", Number(item.dataset.step) === step);
    stepList.children[step].setAttribute("aria-current", "step");
    error.textContent = "";
    back.disabled = step === 0;
    next.textContent = step === STEPS.length - 1 ? "Deploy" : "Next";
    body.replaceChildren(h("p", { role: "status" }, "Loading…"));
    try {
      if (step === STEPS.length - 1) {
        body.replaceChildren(h("h2", {}, STEPS[step]), review());
        return;
      }
      const specs = await stepFields(step);
      body.replaceChildren(h("fieldset", {}, h("legend", {}, STEPS[step]), specs.length ? specs.map((spec) => field(spec, `wizard-${spec.name}`)) : h("p", {}, "No networks in this zone: the default network is used.")));
      // The image list and the custom sizes follow their selects.
      const redraw = (name) => body.querySelector(`[name="${name}"]`)?.addEventListener("change", () => remember().then(() => show(step)));
      redraw("kind");
      redraw("diskofferingid");
      redraw("serviceofferingid");
      body.querySelector("input, select, textarea")?.focus();
    } catch (failure) {
      body.replaceChildren();
      error.textContent = failure.message;
    }
  }

  // Copies the step's controls into `choice` (with the labels the review shows).
  async function remember() {
    const got = values(form);
    const label = (name) => body.querySelector(`[name="${name}"]`)?.selectedOptions?.[0]?.textContent;
    if (step === 0) Object.assign(choice, { zoneid: got.zoneid, zonename: label("zoneid") });
    if (step === 1) Object.assign(choice, { kind: got.kind, templateid: got.kind === (choice.kind ?? "template") ? got.templateid : undefined, templatename: label("templateid"), diskofferingid: got.diskofferingid, diskname: label("diskofferingid"), size: got.size });
    if (step === 2) Object.assign(choice, { serviceofferingid: got.serviceofferingid, cpuNumber: got.cpuNumber, cpuSpeed: got.cpuSpeed, memory: got.memory });
    if (step === 3) {
      const ids = [...body.querySelectorAll("input[type=checkbox]")].filter((box) => box.checked);
      choice.networkids = ids.map((box) => box.name.slice(4)).join(",");
      choice.networknames = ids.map((box) => box.parentElement.textContent.trim()).join(", ");
    }
    if (step === 4) Object.assign(choice, { name: got.name ?? "", keypair: got.keypair ?? "", userdata: got.userdata ?? "" });
  }

  async function advance() {
    await remember();
    if (step < STEPS.length - 1) return show(step + 1);
    await deploy();
  }

  async function deploy() {
    const offering = choice.offerings?.find((o) => o.id === choice.serviceofferingid);
    const params = { zoneid: choice.zoneid, templateid: choice.templateid, serviceofferingid: choice.serviceofferingid, name: choice.name, networkids: choice.networkids, keypair: choice.keypair, userdata: choice.userdata ? base64(choice.userdata) : undefined };
    if (choice.kind === "iso") Object.assign(params, { diskofferingid: choice.diskofferingid, size: choice.size });
    if (offering?.iscustomized) Object.assign(params, { "details[0].cpuNumber": choice.cpuNumber, "details[0].cpuSpeed": choice.cpuSpeed, "details[0].memory": choice.memory });
    next.disabled = back.disabled = true;
    result.className = "";
    result.replaceChildren(h("progress", { "aria-label": "Deploying" }), " Deploying…");
    try {
      const answer = await runJob("deployVirtualMachine", params, (poll) => (result.lastChild.textContent = ` Deploying${".".repeat(1 + (poll % 3))} (${poll})`));
      const vm = answer.virtualmachine ?? answer;
      result.className = "ok";
      result.replaceChildren(`Deployed ${vm.name}: ${vm.state}. `, h("a", { href: `#/instances/${vm.id}`, id: "wizard-open" }, "Open the instance"));
    } catch (failure) {
      result.className = "error";
      result.setAttribute("role", "alert");
      result.replaceChildren(failure.message);
      next.disabled = back.disabled = false;
    }
  }

  await show(0);
}
