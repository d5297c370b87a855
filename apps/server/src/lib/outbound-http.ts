// The panel's outbound HTTP requests (notification channels, DNS providers, monitors) under
// the outbound policy at connect time: the client is @steward/probes' (shared with the nodes'
// agents, which run monitors' checks too), re-exported for the panel's callers.
export * from "@steward/probes/outbound-http";
