-- Runs once, when the PostgreSQL volume is created: the lead store's database next to the
-- tracker store's (POSTGRES_DB=tracker). Tables are created by the applications.
CREATE DATABASE leads;
