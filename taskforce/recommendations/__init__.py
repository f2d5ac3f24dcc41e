"""The HMICFRS recommendations: forecasts, status reports and the official wording."""
