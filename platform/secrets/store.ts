/** The store every ExternalSecret of the platform reads from: the cluster's cloud secret store. */
export const CLOUD_SECRET_STORE = 'cloud-secrets';
