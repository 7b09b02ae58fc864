"""Reads policies/ (YAML) into the policy bundle, the plain JSON-able dict the calculators and pages use.

Everything an editor can get wrong is reported as `path:line:column: message`, never a traceback.
This package needs PyYAML and jsonschema; the calculators package, which runs in the browser,
only ever sees the bundle it produces.
"""

from policy_loader.bundle import PolicyError, PolicyErrors, load_bundle

__all__ = ["PolicyError", "PolicyErrors", "load_bundle"]
