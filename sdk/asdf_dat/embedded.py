"""In-process SVM (solders' LiteSVM) set up like mainnet for our programs."""

from __future__ import annotations

from solders.litesvm import FeatureSet, LiteSVM
from solders.pubkey import Pubkey
from solders.rent import Rent

from asdf_dat.programs import ASDF_DAT_PROGRAM_ID, program_path

# Mainnet rent since SIMD-0194: 6,960 lamports per byte with threshold 1.0. Same minimum
# balances as LiteSVM's default (3,480 x 2.0), but pinocchio 0.11 reads only the first field.
MAINNET_RENT = Rent(lamports_per_byte_year=6960, exemption_threshold=1.0, burn_percent=50)

# SIMD-0167's `disable_new_loader_v3_deployments`: LiteSVM enables every feature, this one
# included, so its loader answers "Unsupported instruction" to `DeployWithMaxDataLen`. It is
# not active on mainnet, devnet or Agave 3.1's test validator: programs are deployed with
# loader v3 there (`solana program deploy`, `anchor deploy`, `asdf-dat deploy`), and so here.
DISABLE_NEW_LOADER_V3_DEPLOYMENTS = Pubkey.from_string("EmhbpdVtZ2hWRGFWBDjn2i3SJD8Z36z4mpMcZJEnebnP")


def mainnet_feature_set() -> FeatureSet:
    """Every feature LiteSVM enables, minus those not active on mainnet that we depend on."""
    features = FeatureSet.all_enabled()
    active = features.active
    active.pop(DISABLE_NEW_LOADER_V3_DEPLOYMENTS, None)
    features.active = active
    features.inactive = features.inactive | {DISABLE_NEW_LOADER_V3_DEPLOYMENTS}
    return features


def new_svm() -> LiteSVM:
    """A fresh LiteSVM with mainnet rent, SPL programs and a loader that deploys (loader v3),
    without our programs."""
    # with_builtins(features) also makes `features` the runtime's feature set.
    svm = LiteSVM().with_builtins(mainnet_feature_set())
    svm.set_rent(MAINNET_RENT)
    return svm


def load_program(svm: LiteSVM, program_id: Pubkey, crate: str) -> None:
    svm.add_program(program_id, program_path(crate).read_bytes())


def new_dat_svm() -> LiteSVM:
    """A LiteSVM with the asdf_dat program loaded at its id."""
    svm = new_svm()
    load_program(svm, ASDF_DAT_PROGRAM_ID, "asdf_dat")
    return svm
