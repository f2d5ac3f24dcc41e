"""The OIC Domestic Taskforce dashboard library: data, logic, charts and the command line.

Nothing here imports Streamlit except `taskforce.ui`, so the library is testable without a browser.
"""
