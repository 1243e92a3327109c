"""The language server's requests, one module each; `server.py` registers them.

Every function here runs on the event loop and takes the server as its first argument;
what needs the checker is asked of the analysis thread.
"""
