"""Tasks for calls and candidatures: notifications and deadline reminders."""
