-- Runs once, on the first start of an empty postgres data volume
-- (/docker-entrypoint-initdb.d), as the superuser from POSTGRES_USER.
-- The application database (`bihuan`) is created by the image from POSTGRES_DB.
-- Temporal's two databases are created here; the temporal service runs with
-- SKIP_DB_CREATE=true and only sets up / upgrades their schemas.
CREATE DATABASE temporal;
CREATE DATABASE temporal_visibility;
