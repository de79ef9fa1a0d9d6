"""The local sandbox platform: loopback fakes of Notify, Pay, the submission API,
OS Places and postcodes.io that honour the real contracts (used by the tests,
``alongside sandbox`` and the demo)."""
