"""The Flask extensions, made unbound so that every area imports them without the package root.

`create_app` binds each to the app with `init_app`.
"""

from flask_compress import Compress
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
compress = Compress()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = None
