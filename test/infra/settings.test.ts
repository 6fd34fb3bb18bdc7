import { fleetInput } from '../../clusters';
import { FleetValidationError, loadFleet } from '../../clusters/validate';
import { pairedRegion } from '../../infra/azure/regions';

/** Loads the declared fleet with its settings changed by `edit`; returns the error lines. */
function errorsWith(edit: (settings: Record<string, unknown>) => void): string[] {
  const input = structuredClone(fleetInput) as unknown as { settings: Record<string, unknown> };
  edit(input.settings);
  try {
    loadFleet(input as unknown as typeof fleetInput);
  } catch (error) {
    expect(error).toBeInstanceOf(FleetValidationError);
    return (error as FleetValidationError).issues.map((i) => `${i.file}: ${i.path}: ${i.message}`);
  }
  throw new Error('expected the fleet to be rejected');
}

describe('Terraform settings of the fleet', () => {
  it('names the settings file and field of a bad state store', () => {
    expect(
      errorsWith((s) => {
        (s.terraformState as { aws: { bucket: string } }).aws.bucket = 'Not_A_Bucket';
        (s.terraformState as { azure: { storageAccount: string } }).azure.storageAccount = 'has-dashes';
      }),
    ).toEqual([
      'clusters/defaults.ts: terraformState.aws.bucket: must be an S3 bucket name',
      'clusters/defaults.ts: terraformState.azure.storageAccount: must be 3-24 lowercase letters and digits',
    ]);
  });

  it('requires a cost centre usable as a GCP label value', () => {
    expect(errorsWith((s) => Object.assign(s, { costCentre: 'ML Platform' }))).toEqual([
      'clusters/defaults.ts: costCentre: must be lowercase letters, digits, "_" or "-" (a GCP label value)',
    ]);
  });
});

describe('Azure region pairs', () => {
  it('replicates to the paired region, and lists the known regions for an unknown one', () => {
    expect(pairedRegion('eastus')).toBe('westus');
    expect(() => pairedRegion('marsnorth')).toThrow(
      /^Azure region "marsnorth" has no known pair; known: .*eastus.* \(infra\/azure\/regions\.ts\)$/,
    );
  });
});
