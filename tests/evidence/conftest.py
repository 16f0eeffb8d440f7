# The site's permission-matrix world (users of every role, packs, content) for ours.
from tests.security.test_permission_matrix import world  # noqa: F401
