"""The linear program: one module per constraint family, assembled by ``build_model``."""

from energymodel.model.build import REGISTRY, build_model

__all__ = ["REGISTRY", "build_model"]
