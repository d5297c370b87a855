export { firewallApply, firewallConfirm, firewallRead, firewallUnblock } from "./ops.ts";
export { resumePending, stopTimer } from "./pending.ts";
