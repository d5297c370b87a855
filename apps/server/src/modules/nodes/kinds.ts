// The task kinds of nodes (tasks.ts), named here so services can enqueue them without
// importing the handlers.
export const NODE_HEARTBEAT = "node.heartbeat";
export const NODE_FACTS = "node.facts";
export const NODE_ROTATE_CERT = "node.rotate-cert";
export const NODE_AGENT_UPGRADE = "node.agent-upgrade";
