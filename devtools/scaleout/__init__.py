"""Scale-out on one machine: several Rasa and action servers behind nginx, with PostgreSQL
and a Redis lock store (`scripts/scale-out.sh start|stop|status`, docs/deploy.md)."""

from devtools.scaleout.services import missing_binaries
from devtools.scaleout.topology import Topology, TopologyConfig

__all__ = ["Topology", "TopologyConfig", "missing_binaries"]
