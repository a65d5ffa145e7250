"""The exercise catalog pages: browse and search, one exercise, a clinic's own exercises."""
