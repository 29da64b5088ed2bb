// The import engine: templates, bulk loads, import history.
