"""Transactional outbox: work that a committed change owes, recorded in the same transaction.

``outbox.services.enqueue(task, *args)`` stores a row beside the change and, once the
transaction commits, hands the task to the broker. A broker that cannot be reached loses
nothing: the row waits, and the beat sweeper (``outbox.tasks.dispatch_pending``) sends it when
the broker is back. Delivery is at least once; the tasks are idempotent (``send_once``, the
report's state machine), so each e-mail and report happens once.
"""
