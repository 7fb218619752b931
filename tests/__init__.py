"""newsbot's tests. A package, so that pytest (prepend import mode) puts the repository root on
sys.path and every module imports its helpers as `tests.support....`."""
