"""The database: engine and sessions, models, migrations, and portable SQL helpers."""
