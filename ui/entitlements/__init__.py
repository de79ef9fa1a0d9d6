"""The next claim, suggested: the case's Next claims tab and the list under My cases."""
