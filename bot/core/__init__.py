"""Cross-cutting helpers every layer may use: settings, copy and languages, time, logs."""
