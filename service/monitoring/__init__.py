"""Monitoring: the supplier register, re-screens when a list changes, alerts and signed webhooks.

`rounds.on_lists_changed` is called by every process's list registry when a new set of active list
versions is swapped in; one process wins the round and enqueues re-screen chunks (`jobs`), which
compare each supplier's new screening with its last (`rescreen`) and raise alerts; alerts become
webhook deliveries, sent with signatures and retries by a loop thread in each process (`webhooks`).
"""
