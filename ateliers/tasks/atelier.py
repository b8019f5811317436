"""Tasks for a running atelier: stage notifications with their .ics."""
