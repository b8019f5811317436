"""Views of the ateliers app, one module per area (calls and candidatures, the atelier
workspace, the DGALN back-office)."""
