"""The admin's pages for kiosk tablets and QR badges."""
