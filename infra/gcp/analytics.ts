import { BigqueryDataset } from '@cdktf/provider-google/lib/bigquery-dataset';
import { Construct } from 'constructs';

export interface GcpAnalyticsProps {
  /** Dataset id (`analyticsDatasetName`). */
  readonly datasetId: string;
  /** Region of the dataset, beside the data lake bucket. */
  readonly region: string;
  /** Labels for the dataset. */
  readonly labels: Readonly<Record<string, string>>;
}

/** BigQuery dataset for prediction analytics; its contents survive a `terraform destroy`. */
export class GcpAnalytics extends Construct {
  readonly dataset: BigqueryDataset;

  constructor(scope: Construct, id: string, props: GcpAnalyticsProps) {
    super(scope, id);
    this.dataset = new BigqueryDataset(this, 'dataset', {
      datasetId: props.datasetId,
      location: props.region,
      description: 'Prediction requests, latencies and routing decisions for analysis',
      deleteContentsOnDestroy: false,
      labels: { ...props.labels },
      lifecycle: { preventDestroy: true },
    });
  }
}
