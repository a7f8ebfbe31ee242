"""The registry in a browser, read-only, on Datasette (work in progress: see NOTES-15.md)."""
