// GET /metrics: a few gauges and counters in Prometheus' text format, written by hand (no
// client library: the agent stays light).
export class AgentMetrics {
  private readonly started = Date.now();
  running = 0;
  readonly finished = new Map<string, number>();
  requests = 0;

  opDone(status: string) {
    this.finished.set(status, (this.finished.get(status) ?? 0) + 1);
  }

  render(certSecondsLeft: number): string {
    const mem = process.memoryUsage();
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, v] of samples) lines.push(`${name}${labels} ${v}`);
    };
    metric("steward_agent_up", "gauge", "1 while the agent runs", [["", 1]]);
    metric("steward_agent_uptime_seconds", "gauge", "seconds since the agent started", [
      ["", Math.floor((Date.now() - this.started) / 1000)],
    ]);
    metric("process_resident_memory_bytes", "gauge", "resident memory size in bytes", [
      ["", mem.rss],
    ]);
    metric("nodejs_heap_used_bytes", "gauge", "V8 heap used in bytes", [["", mem.heapUsed]]);
    metric(
      "steward_agent_certificate_expiry_seconds",
      "gauge",
      "seconds until the agent's certificate expires",
      [["", certSecondsLeft]],
    );
    metric("steward_agent_operations_running", "gauge", "operations running now", [
      ["", this.running],
    ]);
    metric(
      "steward_agent_operations_total",
      "counter",
      "operations finished, by status",
      ["ok", "failed", "rolled_back"].map((s) => [`{status="${s}"}`, this.finished.get(s) ?? 0]),
    );
    metric("steward_agent_requests_total", "counter", "requests accepted", [["", this.requests]]);
    return `${lines.join("\n")}\n`;
  }
}
