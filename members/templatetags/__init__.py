"""Template tags of the members app: the banner about a bounced address."""
