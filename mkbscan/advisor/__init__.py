"""The advisor's desk: accounts, sessions and the leads, on the site's server (docs/advisor.md)."""
