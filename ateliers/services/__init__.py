"""Writes for the ateliers app: ``appels`` (calls, candidatures, instruction, selection)
and ``atelier`` (the running atelier: stages, deliverables, documents, logbook, sites)."""
