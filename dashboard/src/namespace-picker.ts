/**
 * The namespaces configured on the server (the `namespaces` query), as a list of checkboxes that
 * choose which cards are shown, and as the choices of the operations' namespace select.
 */
import type { Procedures } from "@cache-sync/client";
import { duration } from "./format.ts";

type NamespaceSummary = Procedures["namespaces"]["output"]["namespaces"][number];

/** Cards shown when the operator has not chosen yet: every namespace, up to this many. */
const SHOWN_BY_DEFAULT = 6;

/** "4 shards · origin · write-behind · fresh 10.0 s". */
export function settingsSummary(ns: NamespaceSummary): string {
  return [
    `${ns.shards} shard${ns.shards === 1 ? "" : "s"}`,
    ns.origin ? "origin" : "",
    ns.writeBehind ? "write-behind" : "",
    ns.publicRead ? "public reads" : "",
    `fresh ${duration(ns.freshMs)}`,
  ]
    .filter(Boolean)
    .join(" · ");
}

/** The names to show: those chosen before that still exist, else the first few. */
export function initialChoice(namespaces: NamespaceSummary[], chosen: string[] | null): string[] {
  const names = namespaces.map((ns) => ns.name);
  if (chosen === null) return names.slice(0, SHOWN_BY_DEFAULT);
  return chosen.filter((name) => names.includes(name));
}

export function renderPicker(
  list: HTMLElement,
  namespaces: NamespaceSummary[],
  shown: string[],
  onChange: (shown: string[]) => void,
): void {
  list.replaceChildren(
    ...namespaces.map((ns) => {
      const label = document.createElement("label");
      label.className = "ns-choice";
      label.dataset.namespace = ns.name;
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = ns.name;
      box.checked = shown.includes(ns.name);
      const name = document.createElement("span");
      name.textContent = ns.name;
      const settings = document.createElement("small");
      settings.textContent = settingsSummary(ns);
      label.append(box, name, settings);
      return label;
    }),
  );
  list.onchange = () => {
    onChange([...list.querySelectorAll<HTMLInputElement>("input:checked")].map((box) => box.value));
  };
}

export function renderSelect(select: HTMLSelectElement, namespaces: NamespaceSummary[], selected: string): void {
  select.replaceChildren(...namespaces.map((ns) => new Option(ns.name, ns.name, false, ns.name === selected)));
}
