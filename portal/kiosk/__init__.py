"""The workfloor kiosk: badges, enrolled tablets, and scans that check people in and out."""
