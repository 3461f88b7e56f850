"""Running unattended: interruption, step timing, run guards (owner, heartbeat, dataset locks),
retention, notifications and the push hook. The pipeline and the scheduler use these."""
