"""The embedded local stack runner (see DESIGN.md section 4)."""
