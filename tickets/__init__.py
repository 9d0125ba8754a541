"""12368 hotline tickets: 接听 → 交办 → 督办 → 反馈 → 回访, with an append-only audit trail."""
