"""The website: the page with the chat widget, the privacy statement and the personal reports,
served by a Starlette app on uvicorn (docs/site.md)."""
