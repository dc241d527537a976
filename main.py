"""Runs the source the way Airbyte's Python connector images expect (`python main.py spec|check|discover|read`)."""

from source_gong_activity.run import main

if __name__ == "__main__":
    main()
